"""The quiz engine: drawing an attempt's questions, scoring it, reviewing it.

`scoring` is pure (a snapshot of questions and the answers in, a verdict out);
`services` starts and submits attempts; `selectors` reads what the quiz page shows;
`views` is the quiz page's POST handler.
"""
