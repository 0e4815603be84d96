"""`guard serve`: a local page and a JSON API for PR staff (docs/web.md).

Needs the optional extra `fujisns-guard[web]` (Starlette, uvicorn). Nothing here is imported by
`import fujisns_guard`: the web stack is loaded only when the page is served (`web.app`).
"""
