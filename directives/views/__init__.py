"""The pages of documents, one module per concept: the documents themselves, their PDF, their
Word file, and the leaders' signing certificates."""
