from units.roles import Role


def portal(request) -> dict:
    """What the page header needs: the person's roles for the menu (the unread count: notifications)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"Role": Role, "user_roles": user.roles}
