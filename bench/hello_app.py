"""The floor for HTTP figures: a hello-world Flask route, served by the same gunicorn settings."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, world"


@app.post("/vote")
def vote():
    return "ok"
