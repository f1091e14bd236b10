"""The curator's desk: the compliance matrix across associations, deadlines and their
calendar feed, weekly digests, and the summary for the education department."""
