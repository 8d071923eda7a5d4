"""Test-only Streamlit script (not a page of the app): the desk's sign-in plumbing in isolation.
Shows what `beautyvalley.desk.auth` decides on this run; a button calls st.login through auth.login()."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import streamlit as st

from beautyvalley.desk import auth

state = auth.access()
st.markdown(f"access: `{state}`")
st.markdown(f"role: `{auth.current_staff()}`")
if state == "signed_out":
    st.button("Sign in", on_click=auth.login)
elif state != "not_configured":
    st.markdown(f"email: `{auth.signed_in_email()}`")
    st.button("Sign out", on_click=auth.logout)
