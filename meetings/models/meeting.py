"""Meeting bodies, numbered meetings, agendas, materials, attendance, minutes and working groups."""

__all__: list[str] = []
