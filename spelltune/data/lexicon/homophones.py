"""Homophones, real-word confusables and contractions, as the data stage uses them.

The data stage corrupts sentences with them and never holds their words out of training (every split
needs them). The corrector's guard has its own confusion sets, package data in spelltune/correct/lexicon/.
"""

from __future__ import annotations

# Each set holds words people confuse for one another; all members are real words, so a spell
# checker's dictionary lookup never flags the wrong one. Lowercase; callers restore case.
HOMOPHONE_SETS: list[frozenset[str]] = [
    frozenset(words)
    for words in (
        ("their", "there", "they're"),
        ("your", "you're"),
        ("its", "it's"),
        ("to", "too", "two"),
        ("then", "than"),
        ("by", "buy", "bye"),
        ("eight", "ate"),
        ("hole", "whole"),
        ("know", "no"),
        ("knew", "new"),
        ("hear", "here"),
        ("where", "wear", "were"),
        ("weather", "whether"),
        ("whose", "who's"),
        ("lose", "loose"),
        ("accept", "except"),
        ("affect", "effect"),
        ("right", "write"),
        ("piece", "peace"),
        ("week", "weak"),
        ("meat", "meet"),
        ("sea", "see"),
        ("son", "sun"),
        ("one", "won"),
        ("four", "for"),
        ("our", "hour"),
        ("passed", "past"),
        ("quite", "quiet"),
        ("break", "brake"),
        ("threw", "through"),
        ("allowed", "aloud"),
        ("brought", "bought"),
        ("advice", "advise"),
        ("bare", "bear"),
        ("flour", "flower"),
        ("mail", "male"),
        ("plain", "plane"),
        ("road", "rode"),
        ("sale", "sail"),
        ("tail", "tale"),
        ("waist", "waste"),
        ("wait", "weight"),
        ("way", "weigh"),
        ("which", "witch"),
        ("wood", "would"),
        ("made", "maid"),
        ("red", "read"),
        ("blew", "blue"),
        ("cell", "sell"),
        ("dear", "deer"),
        ("fair", "fare"),
        ("heal", "heel"),
        ("higher", "hire"),
        ("mind", "mined"),
        ("pair", "pear"),
        ("principal", "principle"),
        ("stationary", "stationery"),
        ("steal", "steel"),
        ("we're", "were"),
        ("we'll", "well"),
        ("lead", "led"),
        ("of", "off"),
        ("are", "our"),
        ("a", "an"),
        ("form", "from"),
        ("chose", "choose"),
        ("dessert", "desert"),
        ("personal", "personnel"),
        ("later", "latter"),
        ("cloths", "clothes"),
        ("breath", "breathe"),
        ("site", "sight", "cite"),
        ("bored", "board"),
        ("grate", "great"),
        ("sent", "scent", "cent"),
        ("die", "dye"),
        ("flew", "flu"),
        ("knight", "night"),
        ("knot", "not"),
        ("mist", "missed"),
        ("rain", "reign", "rein"),
        ("roll", "role"),
        ("some", "sum"),
        ("stair", "stare"),
        ("wander", "wonder"),
    )
]

# Apostrophe-less spellings that are not words themselves, mapped to the contraction.
CONTRACTIONS: dict[str, str] = {
    "arent": "aren't",
    "cant": "can't",
    "couldnt": "couldn't",
    "couldve": "could've",
    "didnt": "didn't",
    "doesnt": "doesn't",
    "dont": "don't",
    "hadnt": "hadn't",
    "hasnt": "hasn't",
    "havent": "haven't",
    "hes": "he's",
    "heres": "here's",
    "hows": "how's",
    "im": "I'm",
    "isnt": "isn't",
    "itll": "it'll",
    "ive": "I've",
    "mightnt": "mightn't",
    "mustnt": "mustn't",
    "mustve": "must've",
    "neednt": "needn't",
    "shes": "she's",
    "shouldnt": "shouldn't",
    "shouldve": "should've",
    "thats": "that's",
    "theres": "there's",
    "theyd": "they'd",
    "theyll": "they'll",
    "theyre": "they're",
    "theyve": "they've",
    "wasnt": "wasn't",
    "weve": "we've",
    "werent": "weren't",
    "whats": "what's",
    "wheres": "where's",
    "whos": "who's",
    "wont": "won't",
    "wouldnt": "wouldn't",
    "wouldve": "would've",
    "youd": "you'd",
    "youll": "you'll",
    "youre": "you're",
    "youve": "you've",
    "yall": "y'all",
}

# Apostrophe-less spellings that are also real words, so only context tells them apart.
AMBIGUOUS_CONTRACTIONS: dict[str, str] = {
    "hell": "he'll",
    "id": "I'd",
    "ill": "I'll",
    "its": "it's",
    "lets": "let's",
    "shell": "she'll",
    "wed": "we'd",
    "well": "we'll",
    "were": "we're",
}

# Phrases people commonly write as one word, mapped from the merged form to the correct phrase.
COMMON_MERGES: dict[str, str] = {
    "alot": "a lot",
    "infront": "in front",
    "aswell": "as well",
    "incase": "in case",
    "atleast": "at least",
    "eachother": "each other",
    "alright": "all right",
    "everytime": "every time",
    "inspite": "in spite",
    "noone": "no one",
    "abit": "a bit",
    "thankyou": "thank you",
    "infact": "in fact",
    "ofcourse": "of course",
    "atall": "at all",
    "alittle": "a little",
    "nevermind": "never mind",
    "highschool": "high school",
}


def confusables_of(word: str) -> list[str]:
    """The other members of every homophone set that holds `word` (lowercase), sorted."""
    lowered = word.lower()
    found: set[str] = set()
    for group in HOMOPHONE_SETS:
        if lowered in group:
            found |= group - {lowered}
    return sorted(found)

