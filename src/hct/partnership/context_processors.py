from hct.partnership.selectors import partnership_choice as _choice


def partnership_choice(request):
    """The header's 'Working in' control, read only when the header is drawn (one query) and
    shown only to a member of more than one partnership."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {"partnership_choice": None}
    return {"partnership_choice": lambda: _choice(request)}
