from planetinfer.cli.main import main

main()
