"""Domain: the association's year judged against its regulation.  Pure: no I/O."""
