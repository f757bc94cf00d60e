"""The dashboard pages: overview, area, indicator, data quality; notes that explain figures."""
