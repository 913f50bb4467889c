"""The site: running notebooks (papermill), rendering (Quarto or nbconvert), stripping outputs,
generating the README. Only the command line imports it."""
