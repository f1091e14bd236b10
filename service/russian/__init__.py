"""Russian language helpers shared by messages and documents: plurals, dates,
initials, declension.  Pure functions; the Jinja filters in `render` wrap them."""
