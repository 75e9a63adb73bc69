"""One router per resource; each route declares its roles with ``Depends(require(...))``."""
