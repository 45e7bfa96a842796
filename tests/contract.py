"""The canned queries whose names and CSV columns are a contract (issue 2)."""

CONTRACT = {
    "who-funds-what": "funder,amount_cny,recipient,program,kind,report,evidence",
    "actors": "name,type,region,report",
    "regions": "name,level,parent,report",
    "programs": "name,report",
    "documents": "title,issuer,report",
}
