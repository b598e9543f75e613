"""The linking engine: from posts to campaigns, demands, responses and outcomes."""
