"""The network in the words of the official MoU template (pure pydantic models).

May import: pydantic and the standard library. Never git, yaml, typer, click, rich.
"""
