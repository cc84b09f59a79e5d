"""Pre-registration: school links, student forms and Dapodik roster imports."""
