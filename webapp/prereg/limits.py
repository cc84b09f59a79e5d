"""Request budgets of the pre-registration link, shared by its pages and its API (one per address)."""
from webapp.extensions import limiter

LINK_LIMIT = "300 per minute"
HEAVY_LIMIT = "20 per minute"  # uploads and PDFs cost more


def link_limit(view):
    """The link's one budget per address, across the pages and the API."""
    return limiter.shared_limit(LINK_LIMIT, scope="prereg-link")(view)
