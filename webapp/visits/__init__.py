"""School visits and the students registered for them."""
