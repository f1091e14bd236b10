"""The web service: server-rendered pages in Russian and a JSON API, thin shells over
`service.workspace`."""
