"""Who may be recorded on a visit's day: webapp.identity's rule with the office's configured ages."""
from flask import current_app, has_app_context

from webapp.identity import eligibility


def configured_ages():
    """(minimum age to record, minimum age for the card): config, else 16 and 17."""
    cfg = current_app.config if has_app_context() else {}
    return cfg.get("MIN_RECORD_AGE", 16), cfg.get("MIN_CARD_AGE", 17)


def eligibility_on(birth_date, day, married=False, ages=None):
    """Eligibility (webapp.identity) on `day`; pass `ages` to read the config once for many students."""
    min_record, min_card = ages or configured_ages()
    return eligibility(birth_date, day, min_record_age=min_record, min_card_age=min_card,
                       married=bool(married))
