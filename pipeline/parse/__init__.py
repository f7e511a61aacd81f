"""Structure parsing: header fields, outline and tasks from pages of repaired text."""
