"""Portfolio and payment-feed import (the data-management module)."""
