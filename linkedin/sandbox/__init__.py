"""A stand-in for LinkedIn's partner APIs and Recruiter pages, run as its own process.

`python manage.py linkedin_sandbox --port 8765`; see README "The LinkedIn sandbox".
"""
