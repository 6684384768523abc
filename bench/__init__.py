"""The benchmark of issue 6: a large-data generator and a runner (`make bench`)."""
