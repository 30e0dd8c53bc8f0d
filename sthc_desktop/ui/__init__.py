"""The PySide6 layer: widgets and dialogs that only wire user actions to the core."""
