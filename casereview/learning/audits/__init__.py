"""Case-file audits (seed s.6 and Appendix G): reusable audit tools, audits of a sample of cases known only by
pseudonyms, agencies' graded answers, results against the standard, findings, re-audits and action plans."""
