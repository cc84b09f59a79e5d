"""Schools (SMA/SMK/MA) that teams visit."""
