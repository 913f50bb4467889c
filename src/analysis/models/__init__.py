"""Statistical models of indicator series: recovery after shocks and progress towards targets."""
