"""The version of the claim extractor (readers, cleanup, segmentation, splitting, quantities).

Stored per brief (``briefs.extractor_version``) when its claims are extracted. Bump it when a
change to the pipeline changes what it extracts from the same file: ``tracker db reextract``
then re-derives the claims of every brief of an older version, and a diff across versions
warns. Version 1 is every brief stored before extraction was versioned (revision 0005 sets
it): what produced those is not recorded, so they count as older than any versioned one.
"""

# 3: figures glued to punctuation and footnote marks, counts whose noun comes first.
# 4: nested lists keep the chain of their lead-ins; full-width wrapped lines are no headings;
#    PDF: ruled tables read by their rules, form questions beside their answers, page
#    numbers on a page's edge lines, justified lines, asterisk note markers; captions.
# 5: PDF: a word drawn twice in one place (a drop shadow, fake bold) is read once.
# 6: greenhouse-gas amounts are quantities ("65 MtCO2e", "51.2 million tonnes of CO2
#    equivalent"), in tonnes of CO2 equivalent; "815 megatonnes" is no longer a count.
# 7: PDF: a sign of a symbol font standing alone (an "!" drawn in SymbolMT or Wingdings)
#    is a bullet, not text. Text: a line break after a hyphen is no space ("longer-" /
#    "term" → "longer-term"; "emis-" / "sions" → "emissions" where the text has the word).
EXTRACTOR_VERSION = 7
