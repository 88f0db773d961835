# Regenerates permissionsets/Hearth_Integration from the fields in objects/ (run after adding a field):
#   python3 salesforce/scripts/permission-set.py
import os, re, glob
import sys
base=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'force-app', 'main', 'default')
objs=sorted(os.listdir(base+'/objects'))
out=['<?xml version="1.0" encoding="UTF-8"?>',
'<!-- Access for the integration user Hearth logs in as: read/write on its objects and fields. Assign it to that user',
'     with: sf org assign permset, name Hearth_Integration. Checked against the fields in objects/ by SalesforceMetadataTest. -->',
'<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">',
'    <description>Hearth social-CRM hub: read and write the social fields and objects.</description>']
fields=[]
for o in objs:
    for f in sorted(glob.glob(f'{base}/objects/{o}/fields/*.field-meta.xml')):
        x=open(f).read()
        name=os.path.basename(f).replace('.field-meta.xml','')
        if '<required>true</required>' in x or '<type>MasterDetail</type>' in x: continue
        fields.append((o,name))
for o,n in fields:
    out.append(f'    <fieldPermissions>\n        <editable>true</editable>\n        <field>{o}.{n}</field>\n        <readable>true</readable>\n    </fieldPermissions>')
out.append('    <hasActivationRequired>false</hasActivationRequired>')
out.append('    <label>Hearth Integration</label>')
for o in objs:
    if o.endswith('__c'):
        out.append(f'    <objectPermissions>\n        <allowCreate>true</allowCreate>\n        <allowDelete>true</allowDelete>\n        <allowEdit>true</allowEdit>\n        <allowRead>true</allowRead>\n        <modifyAllRecords>false</modifyAllRecords>\n        <object>{o}</object>\n        <viewAllRecords>true</viewAllRecords>\n    </objectPermissions>')
out.append('</PermissionSet>')
os.makedirs(base+'/permissionsets',exist_ok=True)
open(base+'/permissionsets/Hearth_Integration.permissionset-meta.xml','w').write('\n'.join(out)+'\n')
print(len(fields),'fields')
