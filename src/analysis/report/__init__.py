"""Report content: facts, sentences, display tables, figures and page content read from the tidy
table and the model tables. Never imported by the models."""
