"""The knowledge base: discovery, the index of every file, reference resolution, targets, git changes."""
