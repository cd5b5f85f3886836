"""Letters an English keyboard has no key for, as a reader types them (pure): "ı" is "i",
"ß" "ss", "π" "pi". The search index folds a paper's words with them (sitegen.search) and the
search page a query, with the table the build writes into its script (sitegen.pages): one
table, so that a letter added is found on both sides (a copy typed by hand could miss it)."""

from __future__ import annotations

# Greek letters by their English names, as a reader types a model's or a method's name ("pi0"
# for "π0", "muP" for "μP"); a capital is folded to lower case first, a symbol's form ("ϕ",
# "µ") to its letter by NFKD.
_GREEK_LETTERS = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu",
    "ξ": "xi", "ο": "omicron", "π": "pi", "ρ": "rho", "σ": "sigma", "ς": "sigma", "τ": "tau",
    "υ": "upsilon", "φ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
}  # fmt: skip
# Letters that are no letter and an accent, which Unicode does not decompose, as an English
# keyboard types them ("Yılmaz" is "yilmaz", "Groß" "gross", "Łukasz" "lukasz", "π0" "pi0"):
# each a lower-case letter, to what it is folded to.
OWN_LETTERS: dict[str, str] = {
    "ı": "i", "ß": "ss", "ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d",
    "đ": "d", "ħ": "h", **_GREEK_LETTERS,
}  # fmt: skip
