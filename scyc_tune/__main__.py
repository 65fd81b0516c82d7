import sys

from scyc_tune.cli.main import main

sys.exit(main())
