"""The teaching layer: the browser app (``vardkedja app``) and what the notebooks share with it."""
