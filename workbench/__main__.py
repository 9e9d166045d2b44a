from workbench.cli.main import run

run()
