"""Practitioner forums (seed s.6, Appendix G item 8): a theme, its sessions and attendance, what was said
and learned, and the action plan that follows."""
