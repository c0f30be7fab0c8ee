"""The kernel's routes for the auth and isolation walk (tests/pos_project/test_endpoint_walk.py).

Each app's tests/<app>/walk.py declares the same two names:
- `ROUTES`: url name -> function(business) that creates an object of `business` and returns
  the kwargs to reverse the url with. Every route with path parameters needs one.
- `EXEMPT`: url name -> why the walk does not apply.
"""

ROUTES = {}

EXEMPT = {
    "auth-token": "public by design: it is how a client obtains a token (throttled instead)",
    "schema": "public by design: the OpenAPI document holds no business data",
    "swagger-ui": "public by design: the documentation page holds no business data",
    "redoc": "public by design: the documentation page holds no business data",
}
