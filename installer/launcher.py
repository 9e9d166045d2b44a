"""The bundled program's entry point: the same as `workbench` from the command line."""
from workbench.cli.main import run

if __name__ == "__main__":
    run()
