from flashpoint.cli import run

run()
