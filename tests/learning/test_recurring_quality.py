"""Precision and recall of the recurring-learning match on a labelled set of fictional finding pairs.

The thresholds asserted here are the floor a Performance Committee can live with: at least 8 in 10 questions
raised must be real repeats (each one takes committee time), and at least 7 in 10 real repeats must be caught
(the seed's point is that repeated learning is noticed). The figures are printed with `pytest -s`.
"""

from casereview.learning import similarity

from .recurring_pairs import PAIRS

MIN_PRECISION = 0.8
MIN_RECALL = 0.7


def test_recurring_learning_precision_and_recall():
    corpus = similarity.Corpus([p[0] for p in PAIRS] + [p[2] for p in PAIRS])
    tp = fp = fn = tn = 0
    for new, new_themes, old, old_themes, repeats in PAIRS:
        text = similarity.cosine(corpus.vector(new), corpus.vector(old))
        predicted = similarity.is_recurring(text, len(set(new_themes) & set(old_themes)))
        tp += predicted and repeats
        fp += predicted and not repeats
        fn += repeats and not predicted
        tn += not predicted and not repeats
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(f"\nRecurring learning on {len(PAIRS)} labelled pairs: precision {precision:.2f}, recall {recall:.2f} "
          f"(true positives {tp}, false positives {fp}, false negatives {fn}, true negatives {tn})")
    assert len(PAIRS) >= 40
    assert precision >= MIN_PRECISION
    assert recall >= MIN_RECALL


def test_evidence_phrases_come_from_the_new_text():
    phrases = similarity.shared_phrases(
        "Police did not share domestic abuse incidents with the school.",
        "Information about domestic abuse incidents was not shared with the school.")
    assert "domestic abuse incidents" in phrases
