"""What the service hands people to take away: charts, PDFs, spreadsheets and data files."""
