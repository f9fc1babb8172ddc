"""Sample data for demos: a believable Điện Bàn catalogue, loaded by `manage.py load_demo`."""
