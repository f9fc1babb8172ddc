"""The project's shared ground: helpers every app may use; it imports no app of ours."""
