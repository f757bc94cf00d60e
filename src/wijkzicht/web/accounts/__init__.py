"""Accounts: the role groups, the organisation a user acts for, demo users."""
