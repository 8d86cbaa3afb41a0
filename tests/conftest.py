import sys
from pathlib import Path

# tests/nasa.py is a helper module beside the tests
sys.path.insert(0, str(Path(__file__).parent))
