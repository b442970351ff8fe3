"""Small data-access modules: the SQL behind the views, kept out of them."""
