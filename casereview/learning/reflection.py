"""Questions for reflection suggested when a learning summary is drafted, by theme name; the author edits
them."""

REFLECTION_QUESTIONS: dict[str, str] = {
    "Information sharing": "What do you do when you hold information another agency may not have?",
    "Multi-agency working": "Who else is working with this family, and when did you last speak to them?",
    "Assessment quality": "How does your assessment show what has changed for the child since the last one?",
    "Risk assessment and decision making": "What would make you revisit a decision that risk is low?",
    "Voice and lived experience of the child": "When did you last see the child alone, and how did you record "
                                               "what a day in their life is like?",
    "Professional curiosity": "What question did you not ask at your last visit, and why?",
    "Challenge and escalation": "When did you last use the escalation policy, and what stopped you other times?",
    "Thresholds, transfer and closure": "What must be true before you close or transfer a case?",
    "Engagement with families": "How do you tell apart a family that cannot engage from one that will not?",
    "Hidden or unseen men": "Who are the men in this child's life, and what do you know about each of them?",
    "Supervision, workload and culture": "Does your supervision give you time to reflect on drift?",
    "Recording": "Could someone new understand this child's story from your records alone?",
    "Race, culture and identity": "How have the family's identity and experience of services shaped your work?",
    "Domestic abuse": "How do you find out about domestic abuse notifications held by other agencies?",
    "Parental mental health": "How do you make sure a parent's mental health is considered for the children?",
    "Parental substance misuse": "How does a parent's substance use change the risk to a baby in your plan?",
    "Neglect": "What tool do you use to show the cumulative impact of neglect?",
    "Exploitation and extra-familial harm": "How do you look at the pattern of missing episodes, not each one?",
    "Sudden unexpected infant death and safer sleep": "When did you last repeat safer sleep advice after a "
                                                      "change in the family's circumstances?",
    "Babies": "How do you make sure a non-mobile baby's injury is always referred?",
    "Adolescents": "How do you respond when a teenager's behaviour may be a sign of harm?",
}
GENERAL_REFLECTION_QUESTIONS = [
    "What would you do differently in a case like this?",
    "What helps you to work well with other agencies in cases like this?",
]
