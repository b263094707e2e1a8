import sys

from load.run import main

sys.exit(main())
