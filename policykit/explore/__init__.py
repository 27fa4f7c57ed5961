"""Interactive explorers (ipywidgets + plotly)."""
