from hct.cli import main

raise SystemExit(main())
