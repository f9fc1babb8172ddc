"""Relevance weights, shared by both backends so they rank alike."""

RANKING = {
    # Text evidence, strongest first.
    "title_exact": 100,  # every query word in the title, with its diacritics
    "title_phrase": 40,  # the whole query, as typed (folded), in the title
    "title_folded": 20,  # every query word in the title, without diacritics
    "text_exact": 10,  # every query word in the text, with its diacritics
    # Among titles with every query word, the shortest are the most about them: a tie
    # breaker. Elasticsearch multiplies the title's BM25 score by it (a point or two, its
    # length normalisation), the database the share of the title's words in the query.
    "title_focus": 1,
    # Signals that order equally relevant products.
    "per_star": 3,  # per valid OCOP star
    "in_stock": 5,
    "featured": 4,
}

# Producers above the product results: both backends score a producer with these, then
# order by products, then page id.
PRODUCER_RANKING = {
    "name_exact": 3,  # every word in the name, with its diacritics
    "name_folded": 2,  # every word in the name, folded
    "name_phrase": 1,  # the words in a row in the name, folded
    "text_exact": 1,  # every word in the text, with its diacritics
}
